#!/usr/bin/python3
"""Golden for Sobel-CAM: pytorch-grad-cam's sobel_cam (restated verbatim in behaviour: no pip here)
on a seeded 8-bit RGB image, with OpenCV. Run: /usr/bin/python3 packages/methods/scripts/make-sobel-golden.py"""
import os
import cv2
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')


def sobel_cam(img):
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    grad_x = cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=3)
    grad_y = cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=3)
    abs_grad_x = cv2.convertScaleAbs(grad_x)
    abs_grad_y = cv2.convertScaleAbs(grad_y)
    return cv2.addWeighted(abs_grad_x, 0.5, abs_grad_y, 0.5, 0)


def main():
    rng = np.random.default_rng(5)
    img = rng.integers(0, 256, size=(13, 17, 3), dtype=np.uint8)
    img[4:9, 5:12] = [200, 30, 90]  # a flat block with edges
    np.save(os.path.join(OUT, 'sobel-image.npy'), img.astype(np.float32))
    np.save(os.path.join(OUT, 'sobel-gray.npy'), cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32))
    np.save(os.path.join(OUT, 'sobel-cam.npy'), sobel_cam(img).astype(np.float32))
    print('sobel golden', img.shape)


if __name__ == '__main__':
    main()
